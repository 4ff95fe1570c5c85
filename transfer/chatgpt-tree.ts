import { ValidationError } from "@/lib/errors";
import { cutText } from "@/lib/text-length";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A node of ChatGPT's `mapping`, with the node it hangs from (null for a root). */
export type MappingNode = { id: string; parent: string | null; node: Json };

/** A sibling's place: its message's `create_time`, then its place in the file. */
function timeOf(node: Json): number {
  const message = node.message;
  const time = isObject(message) ? message.create_time : undefined;
  return typeof time === "number" && Number.isFinite(time) ? time : Number.POSITIVE_INFINITY;
}

/**
 * Every node of `mapping`, each after its parent: depth first from the roots, the children of a
 * node (the versions of what follows it) oldest first by `create_time`, then in the file's
 * order. Throws a ValidationError for a node that is not an object, a `parent` naming a node
 * that is not there, or a cycle (nodes no root leads to).
 */
export function mappingInTreeOrder(mapping: Json): MappingNode[] {
  const children = new Map<string | null, string[]>();
  const order = new Map<string, number>();
  for (const id of Object.keys(mapping)) {
    const node = mapping[id];
    if (!isObject(node))
      throw new ValidationError(`mapping node ${cutText(id, 80)} is not an object`);
    const parent = typeof node.parent === "string" ? node.parent : null;
    if (parent !== null && !Object.hasOwn(mapping, parent)) {
      throw new ValidationError(`mapping has no node ${cutText(parent, 80)}`);
    }
    order.set(id, order.size);
    const siblings = children.get(parent);
    if (siblings) siblings.push(id);
    else children.set(parent, [id]);
  }
  const nodeOf = (id: string) => mapping[id] as Json;
  const time = new Map([...order.keys()].map((id) => [id, timeOf(nodeOf(id))]));
  const oldestFirst = (a: string, b: string) =>
    (time.get(a) ?? 0) - (time.get(b) ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const visited: MappingNode[] = [];
  // Depth first without recursion: a conversation may be thousands of nodes deep.
  const stack = (children.get(null) ?? []).sort(oldestFirst).reverse();
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const node = nodeOf(id);
    visited.push({ id, parent: typeof node.parent === "string" ? node.parent : null, node });
    const below = children.get(id) ?? [];
    if (below.length > 1) below.sort(oldestFirst);
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i] as string);
  }
  if (visited.length < order.size) throw new ValidationError("mapping has a cycle");
  return visited;
}
