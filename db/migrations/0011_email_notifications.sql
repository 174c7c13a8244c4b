ALTER TABLE `notification_routes` MODIFY COLUMN `channel` enum('webhook','slack','telegram','email') NOT NULL;--> statement-breakpoint
ALTER TABLE `notification_routes` ADD `digest` enum('none','daily') DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE `notification_routes` ADD `digest_hour` tinyint DEFAULT 18 NOT NULL;