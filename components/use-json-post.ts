"use client";

import { type BaseSyntheticEvent, useTransition } from "react";

import { postFormForJson } from "@/lib/forms/post-form-for-json";

/**
 * A public form's submit with JavaScript: `post(event)` posts the fields of the form the event
 * came from to `url`, in a transition, and hands the JSON answer to `onAnswer`; if the post or the
 * handling of its answer fails, `onFailure`. Without JavaScript the browser posts the form itself.
 */
export const useJsonPost = <TAnswer>({ url, onAnswer, onFailure }: { url: string; onAnswer: (answer: TAnswer) => unknown; onFailure: () => void }) => {
  const [isPending, startTransition] = useTransition();
  const post = (event?: BaseSyntheticEvent) => {
    if (!(event?.target instanceof HTMLFormElement)) return;
    const form = event.target;
    startTransition(async () => {
      try {
        await onAnswer(await postFormForJson<TAnswer>({ url, form }));
      } catch {
        onFailure();
      }
    });
  };
  return { isPending, post };
};
