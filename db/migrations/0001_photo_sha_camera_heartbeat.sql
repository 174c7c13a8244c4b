ALTER TABLE `cameras` ADD `last_heartbeat_at` datetime(3);--> statement-breakpoint
ALTER TABLE `cameras` ADD `heartbeat` json;--> statement-breakpoint
ALTER TABLE `face_photos` ADD `content_sha256` varchar(64);--> statement-breakpoint
ALTER TABLE `face_photos` ADD CONSTRAINT `face_photos_student_sha_unique` UNIQUE(`student_id`,`content_sha256`);