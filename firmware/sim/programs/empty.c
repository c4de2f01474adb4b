/* Does nothing: the benchmark runs it to measure QEMU's start-up cost. */
int main(void) { return 0; }
