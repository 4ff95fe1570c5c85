-- The endpoint that wrote each reply (issue 17, decision 42). Nullable with no default, so adding
-- it rewrites no row; replies written before it keep null.
ALTER TABLE "messages" ADD COLUMN "endpoint" text;