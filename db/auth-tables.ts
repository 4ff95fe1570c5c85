import "server-only";
import { accounts, users } from "./schema";

/** The tables the Auth.js Drizzle adapter writes OAuth users and their account links to. */
export const authTables = { usersTable: users, accountsTable: accounts };
