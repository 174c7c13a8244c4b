CREATE TABLE `attendance_disputes` (
	`dispute_id` varchar(36) NOT NULL,
	`session_id` varchar(36) NOT NULL,
	`student_id` varchar(36) NOT NULL,
	`kind` enum('was_there','not_me') NOT NULL,
	`text` varchar(500) NOT NULL,
	`state` enum('open','accepted','declined') NOT NULL DEFAULT 'open',
	`resolved_by` varchar(36),
	`resolved_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `attendance_disputes_dispute_id` PRIMARY KEY(`dispute_id`)
);
--> statement-breakpoint
ALTER TABLE `students` ADD `session_version` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `students` ADD `erasure_requested_at` datetime(3);--> statement-breakpoint
ALTER TABLE `attendance_disputes` ADD CONSTRAINT `attendance_disputes_session_id_class_sessions_session_id_fk` FOREIGN KEY (`session_id`) REFERENCES `class_sessions`(`session_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendance_disputes` ADD CONSTRAINT `attendance_disputes_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendance_disputes` ADD CONSTRAINT `attendance_disputes_resolved_by_users_user_id_fk` FOREIGN KEY (`resolved_by`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `attendance_disputes_session_idx` ON `attendance_disputes` (`session_id`,`state`);--> statement-breakpoint
CREATE INDEX `attendance_disputes_student_idx` ON `attendance_disputes` (`student_id`);