// The feed input cannot be read: its format is not one tickgate knows, or its framing is broken.
export class FeedFormatError extends Error {
  readonly code = 'FEED_FORMAT';
}
