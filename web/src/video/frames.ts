/** Camera or screen frames: one JPEG a second, longer side at most 1024 px. */
import { fitWithin } from "./fit";

export const FRAME_INTERVAL_MS = 1000;
export const MAX_SIDE = 1024;
export const JPEG_QUALITY = 0.7;

/** Ask the browser for the camera or the screen. */
export async function openVideo(source: "camera" | "screen"): Promise<MediaStream> {
  if (source === "screen") {
    return navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 }, audio: false });
  }
  return navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 15 } },
    audio: false,
  });
}

/** Grabs a frame from a video stream every second and hands it over as JPEG bytes. */
export class FrameGrabber {
  readonly video: HTMLVideoElement;
  private readonly canvas = document.createElement("canvas");
  private timer: number | undefined;
  private busy = false;

  constructor(
    readonly stream: MediaStream,
    private readonly onFrame: (jpeg: ArrayBuffer) => void,
  ) {
    this.video = document.createElement("video");
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = stream;
  }

  async start(): Promise<void> {
    await this.video.play();
    this.timer = window.setInterval(() => void this.grab(), FRAME_INTERVAL_MS);
  }

  private async grab(): Promise<void> {
    if (this.busy || this.video.videoWidth === 0) return;
    this.busy = true;
    try {
      const size = fitWithin(this.video.videoWidth, this.video.videoHeight, MAX_SIDE);
      this.canvas.width = size.width;
      this.canvas.height = size.height;
      const context = this.canvas.getContext("2d");
      if (!context) return;
      context.drawImage(this.video, 0, 0, size.width, size.height);
      const blob = await new Promise<Blob | null>((resolve) =>
        this.canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY),
      );
      if (blob) this.onFrame(await blob.arrayBuffer());
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    window.clearInterval(this.timer);
    for (const track of this.stream.getTracks()) track.stop();
    this.video.srcObject = null;
  }
}
