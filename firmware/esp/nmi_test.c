/* The NMI as SDK code routes to it through DPORT 0x3FF00000 (docs/watchdog.md §4): bit 0 enables
   the route, [4:1] selects the source, 7 = FRC1 (NONOS NmiTimSetFunc writes 0x0F) and 0 = the
   Wi-Fi MAC (RTOS SDK 1.5 writes 0x01 and handles the MAC's interrupt in its NMI). The NMI is taken
   at any PS.INTLEVEL, saves the interrupted PS in EPS3 and returns with RFI 3. */
#include "esp.h"

#define MAC_INT_ENABLE REG(0x3FF20C18)
#define MAC_INT_STATUS REG(0x3FF20C20)
#define MAC_INT_ACK REG(0x3FF20C24)
#define MAC_TSF_LOW REG(0x3FF21048)
#define MAC_TIMER1_CTRL REG(0x3FF210C8)
#define MAC_TIMER1_LOW REG(0x3FF210CC)
#define MAC_TIMER1_HIGH REG(0x3FF210D0)
#define MAC_INT_TIMER1 (1u << 26)

static volatile uint32_t nmis, frc1_irqs, mac_irqs, nmi_eps3, nmi_at_us, ack_mac_from;
static volatile uint32_t nmi_depth, nested_nmis, reraise_inside;
static void spin_us(uint32_t us);

static void nmi(void) {
  uint32_t eps3;
  if (nmi_depth++) nested_nmis++;
  __asm__ volatile("rsr %0, eps3" : "=r"(eps3));
  nmi_eps3 = eps3;
  nmi_at_us = MICROS;
  nmis++;
  FRC1_INT &= ~1u; /* as NONOS NMI_Handler clears FRC1's status */
  if (nmis >= ack_mac_from) MAC_INT_ACK = MAC_INT_TIMER1;
  if (reraise_inside) {
    /* RTOS SDK 1.5's exit: route off, then on again with the MAC still pending (its vector does
       this after restoring EPC3 from a frame a nested NMI would overwrite). */
    reraise_inside = 0;
    DPORT_NMI_INT &= ~0x1Fu;
    DPORT_NMI_INT |= 0x01;
    spin_us(20);
  }
  nmi_depth--;
}

static void frc1_isr(void) { frc1_irqs++; }
static void mac_isr(void) {
  mac_irqs++;
  MAC_INT_ACK = MAC_INT_TIMER1;
}

static void spin_us(uint32_t us) {
  uint32_t t0 = MICROS;
  while (MICROS - t0 < us) {
  }
}

/* MAC timer 1 as wDev_MacTim1Arm sets it: compare = TSF + us, then arm (bit 31). */
static uint32_t arm_mac_timer1(uint32_t us) {
  uint32_t now = MAC_TSF_LOW;
  MAC_TIMER1_LOW = now + us;
  MAC_TIMER1_HIGH = 0;
  MAC_TIMER1_CTRL |= 1u << 31;
  return now;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t fails = 0;
  esp_start_clocks();
  esp_irq_init();
  ets_printf("\nnmi test\n");
  esp_nmi_attach(nmi);
  esp_isr_attach(INUM_FRC1, frc1_isr);
  esp_isr_attach(0, mac_isr);
  DPORT_EDGE_INT_ENABLE |= 1u << 1;
  esp_ints_on((1u << INUM_FRC1) | 1u);

  /* FRC1 every millisecond (5 MHz, LOAD 5000) routed to the NMI, with every interrupt masked. */
  DPORT_NMI_INT = (DPORT_NMI_INT & ~0x1Fu) | 0x0F;
  esp_irq_disable();
  FRC1_CTRL = FRC_ENABLE | FRC_AUTO_RELOAD | FRC_DIV16;
  FRC1_LOAD = 5000;
  spin_us(10500);
  uint32_t n = nmis;
  ets_printf("frc1 -> nmi: %u nmis, %u int9, eps3 0x%x in 10.5 ms at intlevel 15\n", n, frc1_irqs,
             nmi_eps3);
  fails += esp_check("frc1 nmi at intlevel 15", n == 10 && frc1_irqs == 0);
  fails += esp_check("eps3 holds the interrupted ps", (nmi_eps3 & 0xF) == 15);

  /* 0x0E: the selection stays, the route is off (NONOS NMI_Handler's first write). */
  DPORT_NMI_INT = (DPORT_NMI_INT & ~0x1Fu) | 0x0E;
  n = nmis;
  spin_us(5000);
  uint32_t while_off = nmis - n;
  DPORT_NMI_INT = (DPORT_NMI_INT & ~0x1Fu) | 0x0F;
  n = nmis;
  spin_us(3500);
  uint32_t back_on = nmis - n;
  ets_printf("0x0e: %u nmis in 5 ms; 0x0f again: %u in 3.5 ms\n", while_off, back_on);
  fails += esp_check("0x0e holds the nmi off", while_off == 0);
  fails += esp_check("0x0f turns it back on", back_on == 3 || back_on == 4);

  /* 0: FRC1 is an ordinary INT 9 source again. */
  DPORT_NMI_INT &= ~0x1Fu;
  n = nmis;
  esp_irq_enable();
  spin_us(5500);
  esp_irq_disable();
  FRC1_CTRL = 0;
  ets_printf("frc1 -> int9: %u int9, %u nmis\n", frc1_irqs, nmis - n);
  fails += esp_check("frc1 back on int 9", frc1_irqs == 5 && nmis == n);

  /* The Wi-Fi MAC's timer-1 interrupt with DPORT 0x01: the NMI, not INT 0, at intlevel 15. */
  MAC_INT_ENABLE |= MAC_INT_TIMER1;
  DPORT_NMI_INT = (DPORT_NMI_INT & ~0x1Fu) | 0x01;
  n = nmis;
  ack_mac_from = 0;
  uint32_t armed = arm_mac_timer1(2000);
  spin_us(3000);
  ets_printf("mac timer1 -> nmi: %u nmis after %u us, %u int0\n", nmis - n, nmi_at_us - armed,
             mac_irqs);
  fails += esp_check("mac nmi", nmis == n + 1 && mac_irqs == 0 && nmi_at_us - armed >= 2000 &&
                                    nmi_at_us - armed <= 2010);

  /* Left pending, the MAC's level is one NMI, not a stream; turning the route off and on again
     (RTOS SDK 1.5: wDev_ProcessFiq writes 0, its NMI vector writes 1 on the way out) is a new edge. */
  n = nmis;
  ack_mac_from = n + 2;
  arm_mac_timer1(1000);
  spin_us(3000);
  fails += esp_check("pending mac level is one nmi", nmis == n + 1 && (MAC_INT_STATUS & MAC_INT_TIMER1));
  DPORT_NMI_INT &= ~0x1Fu;
  DPORT_NMI_INT |= 0x01;
  spin_us(100);
  fails += esp_check("off and on again re-raises it", nmis == n + 2 && !(MAC_INT_STATUS & MAC_INT_TIMER1));

  /* The same off-and-on inside the handler: the NMI it raises waits for the handler's RFI 3. */
  n = nmis;
  ack_mac_from = n + 2;
  reraise_inside = 1;
  arm_mac_timer1(1000);
  spin_us(3000);
  ets_printf("re-raised inside the handler: %u nmis, %u nested\n", nmis - n, nested_nmis);
  fails += esp_check("an nmi raised inside the handler waits for its rfi",
                     nmis == n + 2 && nested_nmis == 0 && !(MAC_INT_STATUS & MAC_INT_TIMER1));

  /* Route off: the MAC is an INT 0 source again. */
  DPORT_NMI_INT &= ~0x1Fu;
  n = nmis;
  esp_irq_enable();
  arm_mac_timer1(1000);
  spin_us(2000);
  esp_irq_disable();
  fails += esp_check("mac back on int 0", mac_irqs == 1 && nmis == n);

  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
