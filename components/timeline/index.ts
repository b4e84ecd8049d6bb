/**
 * The timeline's client-safe components. ChainBadge (a server component) is imported from
 * '@/components/timeline/ChainBadge' directly, so this barrel stays usable in client code.
 */
export { Timeline, TimelineRow, type TimelineProps } from './Timeline';
export { NoteForm } from './NoteForm';
export { ChainBadgeView } from './ChainBadgeView';
export { ExportLinks } from './ExportLinks';
export { timelineQueryKey } from './timeline-data';
