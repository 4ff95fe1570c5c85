-- Versions (issue 15): regenerating adds a reply beside the old one, so a user message may have
-- several replies and reply_to is no longer unique; a retried send finds the first.
DROP INDEX "messages_reply_to_idx";--> statement-breakpoint
CREATE INDEX "messages_reply_to_idx" ON "messages" USING btree ("reply_to");--> statement-breakpoint
-- A share shows the branch that was current when it was made. Every conversation was a line
-- until this release could fork one, so that branch ends at the last message the link shows.
ALTER TABLE "shares" ADD COLUMN "leaf_id" uuid;--> statement-breakpoint
UPDATE "shares" AS s SET "leaf_id" = (
  SELECT m."id" FROM "messages" AS m
  WHERE m."conversation_id" = s."conversation_id" AND m."sequence" <= s."up_to_sequence"
  ORDER BY m."sequence" DESC LIMIT 1
);--> statement-breakpoint
-- As in 0007, plus two things:
-- - a request a writer could not make before: a new root (the edit of a first message). A row
--   that names depth 1 and no parent asks for one; without depth, a missing parent still means
--   "after the current leaf", which is what the previous release's rows mean;
-- - a new version written beside a message of the current branch (an edit, a regenerate) leaves
--   that branch as a switch does, so the message it replaces remembers the leaf shown until now
--   (last_leaf_id), and switching back restores it. Found from the leaf's segment ancestry: the
--   segment holding a depth on the path is the first whose range reaches it.
CREATE OR REPLACE FUNCTION "messages_place_in_tree"() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF NEW."parent_id" IS NULL AND NEW."depth" IS DISTINCT FROM 1 THEN
    NEW."parent_id" := leaf;
  END IF;
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
  IF leaf IS NOT NULL AND NEW."parent_id" IS DISTINCT FROM leaf THEN
    PERFORM "messages_remember_left_branch"(leaf, NEW."depth", NEW."parent_id", parent_segment);
  END IF;
  UPDATE "conversations" SET "current_leaf_id" = NEW."id" WHERE "id" = NEW."conversation_id";
  RETURN NEW;
END
$$;--> statement-breakpoint
-- The message at `at_depth` on the branch ending at `leaf` remembers that leaf, when the new
-- message's parent (null: a new root) lies on that branch: the new message is then another
-- version of it. A parent elsewhere (a tab still showing another branch) leaves no memory.
CREATE FUNCTION "messages_remember_left_branch"(
  leaf uuid, at_depth integer, parent uuid, parent_segment uuid
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  path_ids uuid[];
  path_until integer[];
  covering uuid;
BEGIN
  SELECT s."ancestor_ids" || s."id", s."ancestor_until" || m."depth" INTO path_ids, path_until
  FROM "messages" AS m JOIN "branch_segments" AS s ON s."id" = m."segment_id"
  WHERE m."id" = leaf;
  IF NOT FOUND OR path_until[array_length(path_until, 1)] < at_depth THEN
    RETURN;
  END IF;
  IF parent IS NOT NULL THEN
    SELECT path_ids[i] INTO covering FROM generate_subscripts(path_until, 1) AS i
    WHERE path_until[i] >= at_depth - 1 ORDER BY i LIMIT 1;
    IF covering IS DISTINCT FROM parent_segment THEN
      RETURN;
    END IF;
  END IF;
  SELECT path_ids[i] INTO covering FROM generate_subscripts(path_until, 1) AS i
  WHERE path_until[i] >= at_depth ORDER BY i LIMIT 1;
  UPDATE "messages" SET "last_leaf_id" = leaf WHERE "segment_id" = covering AND "depth" = at_depth;
END
$$;
