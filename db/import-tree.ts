import { ValidationError } from "@/lib/errors";

// The tree columns of imported messages, computed in one pass by the rules the insert trigger
// follows (docs/data-model.md, "The message tree"), so the import writes them with its batched
// inserts instead of paying the trigger's statements per row.

/** Where a message already sits: enough to place a child under it. */
export type TreeNode = { depth: number; segmentId: string; childCount: number };

export type SegmentRow = {
  id: string;
  parentSegmentId: string | null;
  forkDepth: number;
  ancestorIds: string[];
  ancestorUntil: number[];
};

export type TreeInput = {
  id: string;
  /** null: a root; absent: the message before it in the list (a line). */
  parentId?: string | null;
  /** Its place among its parent's children; absent: the order of the list. */
  siblingIndex?: number;
};

export type TreePosition = {
  parentId: string | null;
  depth: number;
  siblingIndex: number;
  childCount: number;
  segmentId: string;
};

export type TreeStart = {
  /** The first root's segment takes this id (the conversation's, as migration 0007 does). */
  firstSegmentId: string;
  /** Messages already stored, by id, and the roots already counted. */
  stored: Map<string, TreeNode>;
  rootCount: number;
  /** The ancestry of stored segments a new branch may fork from. */
  segments: Map<string, Pick<SegmentRow, "ancestorIds" | "ancestorUntil">>;
};

export type PlacedTree = {
  positions: TreePosition[];
  segments: SegmentRow[];
  rootCount: number;
  /** Stored messages that gained children, with their new child counts. */
  grownParents: Map<string, number>;
};

const ROOTS = "";

/**
 * Places `messages` (in their list order, every parent before its children) in the tree that
 * `start` describes. O(n): one map lookup per message. Throws a ValidationError for a parent
 * that is neither stored nor earlier in the list, or sibling indexes that repeat or leave a gap.
 */
export function placeTree(messages: TreeInput[], start: TreeStart): PlacedTree {
  const nodes = new Map(start.stored);
  const ancestry = new Map(start.segments);
  const segments: SegmentRow[] = [];
  const positions: TreePosition[] = [];
  const grownParents = new Map<string, number>();
  // Children handed out per parent (roots under ""), and the explicit indexes seen.
  const claimed = new Map<string, number>([[ROOTS, start.rootCount]]);
  const explicit = new Map<string, number>();
  const taken = new Set<string>();
  let previous: string | null = null;

  for (const message of messages) {
    if (nodes.has(message.id)) throw new ValidationError("messages repeat an id");
    const parentId = message.parentId === undefined ? previous : message.parentId;
    const parent = parentId === null ? null : nodes.get(parentId);
    if (parent === undefined) {
      throw new ValidationError(
        "a message's parent must be an earlier message of its conversation",
      );
    }
    const key = parentId ?? ROOTS;
    const handed = claimed.get(key) ?? parent?.childCount ?? 0;
    claimed.set(key, handed + 1);
    const siblingIndex = message.siblingIndex ?? handed;
    if (message.siblingIndex !== undefined) {
      explicit.set(key, Math.max(explicit.get(key) ?? 0, message.siblingIndex));
    }
    if (taken.has(`${key}:${siblingIndex}`)) {
      throw new ValidationError("two versions of a message have the same version index");
    }
    taken.add(`${key}:${siblingIndex}`);
    const depth = parent ? parent.depth + 1 : 1;
    let segmentId: string;
    if (parent && siblingIndex === 0) segmentId = parent.segmentId;
    else {
      segmentId = parent === null && siblingIndex === 0 ? start.firstSegmentId : message.id;
      const from = parent ? ancestry.get(parent.segmentId) : undefined;
      const row: SegmentRow = {
        id: segmentId,
        parentSegmentId: parent ? parent.segmentId : null,
        forkDepth: parent ? parent.depth : 0,
        ancestorIds: parent ? [...(from?.ancestorIds ?? []), parent.segmentId] : [],
        ancestorUntil: parent ? [...(from?.ancestorUntil ?? []), parent.depth] : [],
      };
      segments.push(row);
      ancestry.set(segmentId, row);
    }
    if (parentId !== null && start.stored.has(parentId)) {
      grownParents.set(parentId, handed + 1);
    }
    nodes.set(message.id, { depth, segmentId, childCount: 0 });
    positions.push({ parentId, depth, siblingIndex, childCount: 0, segmentId });
    previous = message.id;
  }
  for (const [key, highest] of explicit) {
    if (highest >= (claimed.get(key) ?? 0)) {
      throw new ValidationError("the version indexes of a message's versions must be 0, 1, 2…");
    }
  }
  messages.forEach((message, index) => {
    const position = positions[index];
    if (position) position.childCount = claimed.get(message.id) ?? 0;
  });
  return { positions, segments, rootCount: claimed.get(ROOTS) ?? 0, grownParents };
}
