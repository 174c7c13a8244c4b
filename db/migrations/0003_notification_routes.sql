CREATE TABLE `notification_routes` (
	`route_id` varchar(36) NOT NULL,
	`course_id` varchar(36),
	`user_id` varchar(36),
	`channel` enum('webhook','slack','telegram') NOT NULL,
	`target` varchar(1024) NOT NULL,
	`secret` varchar(255),
	`events` varchar(64) NOT NULL DEFAULT 'session_closed,camera_offline',
	`enabled` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `notification_routes_route_id` PRIMARY KEY(`route_id`)
);
--> statement-breakpoint
ALTER TABLE `notification_routes` ADD CONSTRAINT `notification_routes_course_id_courses_course_id_fk` FOREIGN KEY (`course_id`) REFERENCES `courses`(`course_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `notification_routes` ADD CONSTRAINT `notification_routes_user_id_users_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`user_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `notification_routes_course_idx` ON `notification_routes` (`course_id`);--> statement-breakpoint
CREATE INDEX `notification_routes_user_idx` ON `notification_routes` (`user_id`);