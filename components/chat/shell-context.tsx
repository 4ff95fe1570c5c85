"use client";

import { createContext, useContext } from "react";
import type { ModelRef } from "@/client/models";

export interface ShellUser {
  id: string;
  email: string;
  name: string | null;
}

export interface Shell {
  user: ShellUser;
  /**
   * The model the person last chose in this tab (picked or sent with); null until they do. A new
   * chat starts on it rather than on the page's answer, which may predate the choice.
   */
  lastModel: ModelRef | null;
  setLastModel: (model: ModelRef) => void;
  isDesktop: boolean;
  /** The drawer on narrow screens. */
  drawerOpen: boolean;
  /** The column on wide screens. */
  collapsed: boolean;
  toggleSidebar: () => void;
  closeDrawer: () => void;
  /**
   * Changes on every "New chat". A chat started at / only swaps the address to /c/:id (so its
   * view is not rebuilt mid-reply), so the router may see no reason to rebuild it when / is
   * opened again; keying the new-chat view by this makes sure it starts empty.
   */
  newChatKey: number;
  startNewChat: () => void;
  /** Opens the search palette (also Ctrl/Cmd-K anywhere). */
  openSearch: () => void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error("useShell needs the chat layout's AppShell");
  return shell;
}
