// Moved to cli/deadline.ts (shared by smoke and eval); kept so smoke's imports stay as they are.
export * from "../cli/deadline";
