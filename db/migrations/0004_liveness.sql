ALTER TABLE `cameras` ADD `liveness` enum('off','flag','block') DEFAULT 'flag' NOT NULL;--> statement-breakpoint
ALTER TABLE `attendances` ADD `liveness_score` double;--> statement-breakpoint
ALTER TABLE `attendances` ADD `liveness_doubtful` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `kind` enum('unknown','suspected_spoof') DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `matched_student_id` varchar(36);--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `liveness_score` double;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_matched_student_id_students_student_id_fk` FOREIGN KEY (`matched_student_id`) REFERENCES `students`(`student_id`) ON DELETE set null ON UPDATE no action;