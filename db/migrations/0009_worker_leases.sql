CREATE TABLE `camera_leases` (
	`camera_id` varchar(36) NOT NULL,
	`worker_id` varchar(128),
	`expires_at` datetime(3),
	`generation` bigint unsigned NOT NULL DEFAULT 0,
	`claimed_at` datetime(3),
	CONSTRAINT `camera_leases_camera_id` PRIMARY KEY(`camera_id`)
);
--> statement-breakpoint
CREATE TABLE `event_claims` (
	`event_key` varchar(191) NOT NULL,
	`claimed_by` varchar(128) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `event_claims_event_key` PRIMARY KEY(`event_key`)
);
--> statement-breakpoint
CREATE TABLE `workers` (
	`worker_id` varchar(128) NOT NULL,
	`internal_url` varchar(512) NOT NULL,
	`capacity` int NOT NULL,
	`started_at` datetime(3) NOT NULL,
	`last_seen_at` datetime(3) NOT NULL,
	CONSTRAINT `workers_worker_id` PRIMARY KEY(`worker_id`)
);
--> statement-breakpoint
ALTER TABLE `camera_leases` ADD CONSTRAINT `camera_leases_camera_id_cameras_camera_id_fk` FOREIGN KEY (`camera_id`) REFERENCES `cameras`(`camera_id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `camera_leases_worker_idx` ON `camera_leases` (`worker_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `event_claims_created_idx` ON `event_claims` (`created_at`);--> statement-breakpoint
CREATE INDEX `workers_last_seen_idx` ON `workers` (`last_seen_at`);