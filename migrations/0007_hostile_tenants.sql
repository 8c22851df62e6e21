CREATE TABLE `blob_grants` (
	`tenant_id` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`tenant_id`, `sha256`)
);
--> statement-breakpoint
CREATE INDEX `blob_grants_sha256` ON `blob_grants` (`sha256`);--> statement-breakpoint
ALTER TABLE `batches` ADD `input_file_id` text;--> statement-breakpoint
ALTER TABLE `model_versions` ADD `origin` text;--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_origin` ON `model_versions` (`origin`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `items_per_minute` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `tokens_per_minute` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `storage_quota_bytes` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `throttled_until` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `throttled_by` text;--> statement-breakpoint
ALTER TABLE `usage_events` ADD `event_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `usage_event_id` ON `usage_events` (`event_id`);--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `next_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);