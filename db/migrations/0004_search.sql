-- Full-text search. Both columns are generated and STORED, so adding them fills every existing
-- row, and Postgres keeps them current on every insert and update. A message's vector is NULL
-- while the reply streams (see db/search-vectors.ts). The configuration here is `simple`; a
-- deployment with SEARCH_LANGUAGE set rewrites the expressions after migrating
-- (db/search-language.ts).
ALTER TABLE "conversations" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce("title", ''))) STORED;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (CASE WHEN "status" = 'streaming'::message_status THEN NULL ELSE to_tsvector('simple'::regconfig, "content") END) STORED;--> statement-breakpoint
CREATE INDEX "conversations_search_idx" ON "conversations" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at","id");