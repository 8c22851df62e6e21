ALTER TABLE `api_keys` ADD `kind` text DEFAULT 'secret' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `models` text;--> statement-breakpoint
ALTER TABLE `api_keys` ADD `origins` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `format` text DEFAULT 'chimera' NOT NULL;--> statement-breakpoint
ALTER TABLE `files` ADD `filename` text;--> statement-breakpoint
ALTER TABLE `files` ADD `purpose` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `default_origins` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `secret_key_origins` text;