/** The form of a filter name (`proto.field`, dots between lower-case words), shared by grammars and codec descriptors. */
export const FILTER_NAME = /^[a-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
