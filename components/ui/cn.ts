import { type ClassValue, clsx } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names, skipping falsy ones; when two Tailwind classes set the same thing, the
 * later one wins, so a `className` passed to a primitive overrides its defaults.
 */
export function cn(...classes: ClassValue[]): string {
  return twMerge(clsx(classes));
}
