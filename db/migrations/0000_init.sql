CREATE TABLE `users` (
	`user_id` varchar(36) NOT NULL,
	`email` varchar(255) NOT NULL,
	`name` varchar(255) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`role` enum('admin','lecturer') NOT NULL DEFAULT 'lecturer',
	`last_login_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_user_id` PRIMARY KEY(`user_id`),
	CONSTRAINT `users_email_unique` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `students` (
	`student_id` varchar(36) NOT NULL,
	`student_number` varchar(32),
	`name` varchar(255) NOT NULL,
	`photo` varchar(512),
	`email` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `students_student_id` PRIMARY KEY(`student_id`),
	CONSTRAINT `students_student_number_unique` UNIQUE(`student_number`)
);
--> statement-breakpoint
CREATE TABLE `course_enrollments` (
	`enrollment_id` varchar(36) NOT NULL,
	`student_id` varchar(36) NOT NULL,
	`course_id` varchar(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `course_enrollments_enrollment_id` PRIMARY KEY(`enrollment_id`),
	CONSTRAINT `course_enrollments_student_course_unique` UNIQUE(`student_id`,`course_id`)
);
--> statement-breakpoint
CREATE TABLE `courses` (
	`course_id` varchar(36) NOT NULL,
	`code` varchar(32) NOT NULL,
	`course_name` varchar(255) NOT NULL,
	`lecturer_id` varchar(36),
	`room` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `courses_course_id` PRIMARY KEY(`course_id`),
	CONSTRAINT `courses_code_unique` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `cameras` (
	`camera_id` varchar(36) NOT NULL,
	`name` varchar(128) NOT NULL,
	`room` varchar(64),
	`mode` enum('pull','push') NOT NULL DEFAULT 'pull',
	`stream_url` varchar(1024),
	`snapshot_url` varchar(1024),
	`token_hash` varchar(255),
	`token_prefix` varchar(16),
	`last_seen_at` datetime(3),
	`status` enum('unknown','online','offline','error') NOT NULL DEFAULT 'unknown',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `cameras_camera_id` PRIMARY KEY(`camera_id`),
	CONSTRAINT `cameras_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `attendances` (
	`attendance_id` varchar(36) NOT NULL,
	`session_id` varchar(36) NOT NULL,
	`student_id` varchar(36) NOT NULL,
	`timestamp` datetime(3) NOT NULL,
	`last_seen` datetime(3) NOT NULL,
	`status` enum('present','late','absent','excused','manual') NOT NULL DEFAULT 'present',
	`confidence` double,
	`camera_id` varchar(36),
	`source` enum('camera','manual') NOT NULL DEFAULT 'camera',
	`marked_by` varchar(36),
	`reason` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `attendances_attendance_id` PRIMARY KEY(`attendance_id`),
	CONSTRAINT `attendances_session_student_unique` UNIQUE(`session_id`,`student_id`)
);
--> statement-breakpoint
CREATE TABLE `class_sessions` (
	`session_id` varchar(36) NOT NULL,
	`course_id` varchar(36) NOT NULL,
	`camera_id` varchar(36),
	`date` date NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`room` varchar(64),
	`late_after_minutes` int,
	`status` enum('scheduled','open','closed','cancelled') NOT NULL DEFAULT 'scheduled',
	`closed_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `class_sessions_session_id` PRIMARY KEY(`session_id`),
	CONSTRAINT `class_sessions_course_start_unique` UNIQUE(`course_id`,`starts_at`)
);
--> statement-breakpoint
CREATE TABLE `face_photos` (
	`photo_id` varchar(36) NOT NULL,
	`student_id` varchar(36) NOT NULL,
	`storage_key` varchar(512) NOT NULL,
	`quality` json,
	`accepted` boolean NOT NULL DEFAULT false,
	`reason` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `face_photos_photo_id` PRIMARY KEY(`photo_id`)
);
--> statement-breakpoint
CREATE TABLE `face_templates` (
	`template_id` varchar(36) NOT NULL,
	`student_id` varchar(36) NOT NULL,
	`photo_id` varchar(36),
	`model` varchar(64) NOT NULL,
	`model_version` varchar(64) NOT NULL,
	`dims` int NOT NULL,
	`embedding` blob NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `face_templates_template_id` PRIMARY KEY(`template_id`)
);
--> statement-breakpoint
CREATE TABLE `unknown_faces` (
	`unknown_id` varchar(36) NOT NULL,
	`session_id` varchar(36),
	`camera_id` varchar(36),
	`storage_key` varchar(512) NOT NULL,
	`embedding` blob,
	`model` varchar(64),
	`seen_at` datetime(3) NOT NULL,
	`reviewed` boolean NOT NULL DEFAULT false,
	`reviewed_by` varchar(36),
	`student_id` varchar(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `unknown_faces_unknown_id` PRIMARY KEY(`unknown_id`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`audit_id` varchar(36) NOT NULL,
	`actor_user_id` varchar(36),
	`action` varchar(64) NOT NULL,
	`entity` varchar(64) NOT NULL,
	`entity_id` varchar(36),
	`details` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_audit_id` PRIMARY KEY(`audit_id`)
);
--> statement-breakpoint
ALTER TABLE `course_enrollments` ADD CONSTRAINT `course_enrollments_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `course_enrollments` ADD CONSTRAINT `course_enrollments_course_id_courses_course_id_fk` FOREIGN KEY (`course_id`) REFERENCES `courses`(`course_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `courses` ADD CONSTRAINT `courses_lecturer_id_users_user_id_fk` FOREIGN KEY (`lecturer_id`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendances` ADD CONSTRAINT `attendances_session_id_class_sessions_session_id_fk` FOREIGN KEY (`session_id`) REFERENCES `class_sessions`(`session_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendances` ADD CONSTRAINT `attendances_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendances` ADD CONSTRAINT `attendances_camera_id_cameras_camera_id_fk` FOREIGN KEY (`camera_id`) REFERENCES `cameras`(`camera_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `attendances` ADD CONSTRAINT `attendances_marked_by_users_user_id_fk` FOREIGN KEY (`marked_by`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `class_sessions` ADD CONSTRAINT `class_sessions_course_id_courses_course_id_fk` FOREIGN KEY (`course_id`) REFERENCES `courses`(`course_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `class_sessions` ADD CONSTRAINT `class_sessions_camera_id_cameras_camera_id_fk` FOREIGN KEY (`camera_id`) REFERENCES `cameras`(`camera_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `face_photos` ADD CONSTRAINT `face_photos_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `face_templates` ADD CONSTRAINT `face_templates_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `face_templates` ADD CONSTRAINT `face_templates_photo_id_face_photos_photo_id_fk` FOREIGN KEY (`photo_id`) REFERENCES `face_photos`(`photo_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_session_id_class_sessions_session_id_fk` FOREIGN KEY (`session_id`) REFERENCES `class_sessions`(`session_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_camera_id_cameras_camera_id_fk` FOREIGN KEY (`camera_id`) REFERENCES `cameras`(`camera_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_reviewed_by_users_user_id_fk` FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_student_id_students_student_id_fk` FOREIGN KEY (`student_id`) REFERENCES `students`(`student_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `audit_log` ADD CONSTRAINT `audit_log_actor_user_id_users_user_id_fk` FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `students_name_idx` ON `students` (`name`);--> statement-breakpoint
CREATE INDEX `course_enrollments_course_idx` ON `course_enrollments` (`course_id`);--> statement-breakpoint
CREATE INDEX `courses_lecturer_idx` ON `courses` (`lecturer_id`);--> statement-breakpoint
CREATE INDEX `cameras_token_prefix_idx` ON `cameras` (`token_prefix`);--> statement-breakpoint
CREATE INDEX `attendances_student_time_idx` ON `attendances` (`student_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `attendances_session_status_idx` ON `attendances` (`session_id`,`status`);--> statement-breakpoint
CREATE INDEX `class_sessions_camera_time_idx` ON `class_sessions` (`camera_id`,`starts_at`,`ends_at`);--> statement-breakpoint
CREATE INDEX `class_sessions_date_idx` ON `class_sessions` (`date`);--> statement-breakpoint
CREATE INDEX `face_photos_student_idx` ON `face_photos` (`student_id`);--> statement-breakpoint
CREATE INDEX `face_templates_student_model_idx` ON `face_templates` (`student_id`,`model`);--> statement-breakpoint
CREATE INDEX `unknown_faces_session_seen_idx` ON `unknown_faces` (`session_id`,`seen_at`);--> statement-breakpoint
CREATE INDEX `unknown_faces_reviewed_idx` ON `unknown_faces` (`reviewed`,`seen_at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_user_id`);