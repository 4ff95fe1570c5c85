-- The message tree (docs/data-model.md, "The message tree"; decision 36 in docs/decisions.md).
CREATE TABLE "branch_segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"parent_segment_id" uuid,
	"fork_depth" integer DEFAULT 0 NOT NULL,
	"ancestor_ids" uuid[] DEFAULT '{}' NOT NULL,
	"ancestor_until" integer[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "branch_segments_fork_depth_check" CHECK ("branch_segments"."fork_depth" >= 0)
);
--> statement-breakpoint
ALTER TABLE "branch_segments" ADD CONSTRAINT "branch_segments_parent_segment_id_branch_segments_id_fk" FOREIGN KEY ("parent_segment_id") REFERENCES "public"."branch_segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_segments" ADD CONSTRAINT "branch_segments_conversation_owner_fk" FOREIGN KEY ("conversation_id","user_id") REFERENCES "public"."conversations"("id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "branch_segments_conversation_idx" ON "branch_segments" USING btree ("conversation_id");--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "current_leaf_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "root_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_root_count_check" CHECK ("conversations"."root_count" >= 0);--> statement-breakpoint
-- Nullable first, backfilled, then NOT NULL: adding a NOT NULL column to a table with rows fails.
ALTER TABLE "messages" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "depth" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sibling_index" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "child_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "segment_id" uuid;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "last_leaf_id" uuid;--> statement-breakpoint
-- Backfill: every conversation so far is a line, so it becomes one segment. The segment takes
-- the conversation's id (ids of different tables never meet), which saves a mapping table.
INSERT INTO "branch_segments" ("id", "conversation_id", "user_id", "created_at")
SELECT c."id", c."id", c."user_id", c."created_at" FROM "conversations" AS c
WHERE EXISTS (SELECT 1 FROM "messages" AS m WHERE m."conversation_id" = c."id");--> statement-breakpoint
-- Depth is the sequence, so a cursor handed out before the upgrade still points at the same
-- message; the parent is the message before it in the line.
UPDATE "messages" AS m SET
  "depth" = m."sequence",
  "segment_id" = m."conversation_id",
  "parent_id" = line."parent_id",
  "child_count" = line."child_count"
FROM (
  SELECT "id",
    lag("id") OVER w AS "parent_id",
    CASE WHEN lead("id") OVER w IS NULL THEN 0 ELSE 1 END AS "child_count"
  FROM "messages"
  WINDOW w AS (PARTITION BY "conversation_id" ORDER BY "sequence")
) AS line
WHERE line."id" = m."id";--> statement-breakpoint
UPDATE "conversations" AS c SET
  "root_count" = 1,
  "current_leaf_id" = (
    SELECT m."id" FROM "messages" AS m WHERE m."conversation_id" = c."id"
    ORDER BY m."sequence" DESC LIMIT 1
  )
WHERE EXISTS (SELECT 1 FROM "messages" AS m WHERE m."conversation_id" = c."id");--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "depth" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "segment_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "depth" SET DEFAULT null;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "segment_id" SET DEFAULT null;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_segment_id_branch_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."branch_segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_segment_depth_key" UNIQUE("segment_id","depth");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_sibling_key" UNIQUE NULLS NOT DISTINCT("conversation_id","parent_id","sibling_index");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_depth_check" CHECK ("messages"."depth" > 0);--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sibling_index_check" CHECK ("messages"."sibling_index" >= 0);--> statement-breakpoint
-- Every insert that leaves segment_id out gets its place in the tree here: this release's
-- writers (they name parent_id only to start a branch) and the previous release while it still
-- runs beside this schema (it knows none of these columns, so its rows append to the current
-- leaf, which is what it meant). One place, so no writer can get the invariants wrong:
-- - the parent is NEW.parent_id, or else the conversation's current leaf (none: a new root);
-- - the sibling index is claimed by bumping the parent's child_count (a root: the conversation's
--   root_count); the row lock and READ COMMITTED's re-read give concurrent children of one
--   parent distinct indexes;
-- - the first child of a message continues its segment (a message with no child is the tip of
--   its segment), any other child and every root starts a new one, whose ancestry is the
--   parent segment's plus the parent segment itself up to the parent's depth;
-- - the new message becomes the conversation's current leaf.
-- An insert for a conversation that is not the user's, or without a sequence, is left alone:
-- its NOT NULL columns fail it, as before. Named to run after
-- messages_user_id_for_previous_release (triggers fire in name order), which fills user_id.
CREATE FUNCTION "messages_place_in_tree"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  leaf uuid;
  parent_depth integer;
  parent_segment uuid;
  claimed integer;
BEGIN
  IF NEW."sequence" IS NULL THEN
    RETURN NEW;
  END IF;
  -- Locks the conversation, so concurrent appends to its current leaf queue here.
  SELECT c."current_leaf_id" INTO leaf FROM "conversations" AS c
  WHERE c."id" = NEW."conversation_id" AND c."user_id" = NEW."user_id" FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;
  END IF;
  NEW."parent_id" := coalesce(NEW."parent_id", leaf);
  IF NEW."parent_id" IS NULL THEN
    UPDATE "conversations" SET "root_count" = "root_count" + 1
    WHERE "id" = NEW."conversation_id" RETURNING "root_count" - 1 INTO claimed;
    NEW."depth" := 1;
    NEW."sibling_index" := claimed;
    INSERT INTO "branch_segments" ("conversation_id", "user_id")
    VALUES (NEW."conversation_id", NEW."user_id") RETURNING "id" INTO NEW."segment_id";
  ELSE
    UPDATE "messages" SET "child_count" = "child_count" + 1
    WHERE "id" = NEW."parent_id" AND "conversation_id" = NEW."conversation_id"
    RETURNING "child_count" - 1, "depth", "segment_id" INTO claimed, parent_depth, parent_segment;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'parent % is not a message of conversation %', NEW."parent_id", NEW."conversation_id"
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'messages_parent_in_conversation';
    END IF;
    NEW."depth" := parent_depth + 1;
    NEW."sibling_index" := claimed;
    IF claimed = 0 THEN
      NEW."segment_id" := parent_segment;
    ELSE
      INSERT INTO "branch_segments"
        ("conversation_id", "user_id", "parent_segment_id", "fork_depth", "ancestor_ids", "ancestor_until")
      SELECT NEW."conversation_id", NEW."user_id", s."id", parent_depth,
        s."ancestor_ids" || s."id", s."ancestor_until" || parent_depth
      FROM "branch_segments" AS s WHERE s."id" = parent_segment
      RETURNING "id" INTO NEW."segment_id";
    END IF;
  END IF;
  NEW."child_count" := 0;
  UPDATE "conversations" SET "current_leaf_id" = NEW."id" WHERE "id" = NEW."conversation_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "messages_with_tree_position" BEFORE INSERT ON "messages"
FOR EACH ROW WHEN (NEW."segment_id" IS NULL) EXECUTE FUNCTION "messages_place_in_tree"();
