-- The model each conversation is answered by (issue 17, decision 43). Nullable with no default,
-- so adding the columns rewrites no row; null in both means "the deployment's default".
ALTER TABLE "conversations" ADD COLUMN "model_endpoint" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "model" text;--> statement-breakpoint
-- Added NOT VALID, then validated: the validation scans the table under a lock that lets reads
-- and writes go on, where a plain ADD CONSTRAINT would hold every writer for the whole scan.
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_model_pair_check" CHECK (("conversations"."model_endpoint" is null) = ("conversations"."model" is null)) NOT VALID;--> statement-breakpoint
ALTER TABLE "conversations" VALIDATE CONSTRAINT "conversations_model_pair_check";
