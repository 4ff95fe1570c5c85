CREATE TABLE "rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
DROP INDEX "messages_streaming_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "reply_to" uuid;--> statement-breakpoint
CREATE INDEX "rate_limits_window_idx" ON "rate_limits" USING btree ("window_start");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_reply_to_messages_id_fk" FOREIGN KEY ("reply_to") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Data from the previous release may hold several streaming rows in one conversation; all but
-- the newest were abandoned, so they become interrupted before the unique index is built.
UPDATE "messages" AS m SET "status" = 'interrupted'
WHERE m."status" = 'streaming' AND EXISTS (
  SELECT 1 FROM "messages" AS newer
  WHERE newer."conversation_id" = m."conversation_id"
    AND newer."status" = 'streaming' AND newer."sequence" > m."sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_one_streaming_reply_idx" ON "messages" USING btree ("conversation_id") WHERE "messages"."status" = 'streaming';--> statement-breakpoint
CREATE UNIQUE INDEX "messages_reply_to_idx" ON "messages" USING btree ("reply_to");