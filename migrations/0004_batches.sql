CREATE TABLE `batch_chunks` (
	`batch_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`completed` integer NOT NULL,
	`failed` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`batch_id`, `chunk`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `batches` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`model` text NOT NULL,
	`version` integer NOT NULL,
	`model_version_id` text NOT NULL,
	`tasks` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`chunks` integer NOT NULL,
	`idempotency_key` text,
	`metadata` text,
	`webhook` text,
	`error` text,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `batches_tenant` ON `batches` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `batches_idempotency` ON `batches` (`tenant_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`bytes` integer NOT NULL,
	`lines` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
