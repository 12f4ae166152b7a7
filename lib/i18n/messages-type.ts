import type en from "@/messages/en.json";

export type TMessages = typeof en;
