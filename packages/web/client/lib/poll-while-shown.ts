/**
 * The admin pages' live refresh: `start()` shows the view, refreshes now, then every `everyMs` while the tab is
 * visible and the view shown (a hidden tab or the sign-in form asks nothing of the host).
 */
export function pollWhileShown(view: HTMLElement, refresh: () => Promise<void>, everyMs: number): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  return function start() {
    view.hidden = false;
    void refresh();
    timer ??= setInterval(() => {
      if (!document.hidden && !view.hidden) void refresh();
    }, everyMs);
  };
}
