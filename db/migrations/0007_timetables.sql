CREATE TABLE `timetables` (
	`timetable_id` varchar(36) NOT NULL,
	`course_id` varchar(36) NOT NULL,
	`camera_id` varchar(36),
	`room` varchar(64),
	`weekdays` varchar(32) NOT NULL,
	`start_time` varchar(5) NOT NULL,
	`end_time` varchar(5) NOT NULL,
	`from_date` date NOT NULL,
	`to_date` date NOT NULL,
	`except_dates` json NOT NULL,
	`time_zone` varchar(64) NOT NULL,
	`late_after_minutes` int,
	`created_by` varchar(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `timetables_timetable_id` PRIMARY KEY(`timetable_id`)
);
--> statement-breakpoint
ALTER TABLE `class_sessions` ADD `timetable_id` varchar(36);--> statement-breakpoint
ALTER TABLE `timetables` ADD CONSTRAINT `timetables_course_id_courses_course_id_fk` FOREIGN KEY (`course_id`) REFERENCES `courses`(`course_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `timetables` ADD CONSTRAINT `timetables_camera_id_cameras_camera_id_fk` FOREIGN KEY (`camera_id`) REFERENCES `cameras`(`camera_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `timetables` ADD CONSTRAINT `timetables_created_by_users_user_id_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `timetables_course_idx` ON `timetables` (`course_id`);--> statement-breakpoint
ALTER TABLE `class_sessions` ADD CONSTRAINT `class_sessions_timetable_id_timetables_timetable_id_fk` FOREIGN KEY (`timetable_id`) REFERENCES `timetables`(`timetable_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `class_sessions_timetable_idx` ON `class_sessions` (`timetable_id`);