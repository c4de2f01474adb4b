/**
 * The ESP8266 peripheral models. The SoC integrator builds them, wires their IRQ lines through the
 * InterruptRouter and maps them on the bus; see each file's header for its constructor and seams.
 */

export * from './peripheral';
export * from './interrupt-router';
export { Uart, UART_ROM_USER_ENTRY, type UartLineError } from './uart';
