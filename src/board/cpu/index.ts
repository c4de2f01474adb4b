export { XtensaCpu, type NativeFunction } from './cpu.ts';
export { ExcCause, MemoryFault, memoryFault, type CpuBus } from './bus.ts';
export {
  SR,
  SPECIAL_REGISTERS,
  SR_NAMES,
  PS_EXCM,
  PS_INTLEVEL,
  PS_UM,
} from './special-registers.ts';
export {
  VECTOR_DEBUG,
  VECTOR_NMI,
  VECTOR_KERNEL,
  VECTOR_USER,
  VECTOR_DOUBLE,
  TIMER0_INTERRUPT,
  NMI_INTERRUPT,
} from './exceptions.ts';
export { instructionLength } from './decode.ts';
