-- A streaming reply with no lease (possible before this release: rows written by the first
-- release, or by addMessage given a status) could never expire, so its conversation refused
-- every new message. Nobody is generating it: it is settled as interrupted, keeping its text,
-- before the check that keeps it from happening again.
UPDATE "messages" SET "status" = 'interrupted', "updated_at" = now()
WHERE "status" = 'streaming' AND "lease_expires_at" IS NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_streaming_lease_check" CHECK ("messages"."status" <> 'streaming' or "messages"."lease_expires_at" is not null);
