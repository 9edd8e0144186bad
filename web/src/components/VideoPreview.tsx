import { useEffect, useRef } from "react";

/** What the assistant sees, when the camera or the screen is shared. */
export function VideoPreview({ stream }: { stream: MediaStream }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);
  return (
    <figure className="w-48 shrink-0">
      <video ref={video} autoPlay muted playsInline data-testid="preview" className="w-full rounded-lg bg-black" />
      <figcaption className="mt-1 text-xs text-slate-500 dark:text-slate-400">Shared, 1 frame per second</figcaption>
    </figure>
  );
}
