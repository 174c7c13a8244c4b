CREATE TABLE `demo_rows` (
	`entity` varchar(32) NOT NULL,
	`row_id` varchar(36) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `demo_rows_entity_row_id_pk` PRIMARY KEY(`entity`,`row_id`)
);
--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `suggestion` enum('pending','approved','declined');--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `suggestion_decided_by` varchar(36);--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD `suggestion_decided_at` datetime(3);--> statement-breakpoint
ALTER TABLE `unknown_faces` ADD CONSTRAINT `unknown_faces_suggestion_decided_by_users_user_id_fk` FOREIGN KEY (`suggestion_decided_by`) REFERENCES `users`(`user_id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `unknown_faces_suggestion_idx` ON `unknown_faces` (`suggestion`);