CREATE TABLE `session_mood` (
	`session_id` varchar(36) NOT NULL,
	`happy` int NOT NULL DEFAULT 0,
	`neutral` int NOT NULL DEFAULT 0,
	`tired` int NOT NULL DEFAULT 0,
	`other` int NOT NULL DEFAULT 0,
	`eyes_read` int NOT NULL DEFAULT 0,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `session_mood_session_id` PRIMARY KEY(`session_id`)
);
--> statement-breakpoint
ALTER TABLE `courses` ADD `class_mood` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `session_mood` ADD CONSTRAINT `session_mood_session_id_class_sessions_session_id_fk` FOREIGN KEY (`session_id`) REFERENCES `class_sessions`(`session_id`) ON DELETE cascade ON UPDATE no action;