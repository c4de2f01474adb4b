export { FlashChip, type FlashChipOptions } from './flash-chip';
