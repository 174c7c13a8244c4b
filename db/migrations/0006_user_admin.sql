ALTER TABLE `users` ADD `disabled_at` datetime(3);--> statement-breakpoint
ALTER TABLE `users` ADD `token_version` int DEFAULT 0 NOT NULL;