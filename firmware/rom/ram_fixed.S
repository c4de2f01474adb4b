/*
 * The ROM's data in ETS RAM at the addresses firmware uses (docs/rom.md, reference §7.3 and
 * rom-internals §1-§3). Copied from the ROM image at reset, like the mask ROM does.
 * .ets_lo is linked at 0x3FFFC000, .ets_hi_fixed at 0x3FFFD650, .ets_ptr at 0x3FFFDAAC.
 */
    .set unhandled_exception, 0x4000DC44
    .set syscall_handler,     0x4000DBE4
    .set l1int_handler,       0x4000048C
    .set alloca_handler,      0x4000DBE0
    .set cause3_handler,      0x40000590
    .set p_none,              0x4000DBF8
    .set unhandled_interrupt, 0x4000DC3C

    .section .ets_lo, "aw"
    /* 0x3FFFC000: _xtos_exc_handler_table, indexed by EXCCAUSE. */
    .word unhandled_exception, syscall_handler, unhandled_exception, unhandled_exception
    .word l1int_handler, alloca_handler, unhandled_exception, unhandled_exception
    .rept 4
    .word unhandled_exception
    .endr
    .word cause3_handler, cause3_handler, cause3_handler, cause3_handler
    .rept 48
    .word unhandled_exception
    .endr
    /* 0x3FFFC100: _xtos_c_handler_table. */
    .rept 64
    .word p_none
    .endr
    /* 0x3FFFC200: _xtos_enabled, _xtos_vpri_enabled. */
    .word 0, 0xFFFFFFFF
    /* 0x3FFFC208 + 8*(14-n): interrupt records {handler, arg}, INT 14 first. */
    .irp n, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
    .word unhandled_interrupt, \n
    .endr
    /* 0x3FFFC280 = 0x3FFFC2F0 - 8*14: mask records {vpri mask, level mask}, INT 14 first. */
    .word 0xFFFFC000, 1 << 14
    .irp n, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
    .word ~((2 << \n) - 1), 1 << \n
    .endr

    /* 0x3FFFC6FC onwards (the gap before it is zeroed at reset, not copied). */
    .section .ets_mid, "aw"
    .byte 0xFF, 0, 0, 0           /* priority of the running task: none */
    .word 0x7073                  /* rtc_calib */
    .word 80                      /* CPU MHz for ets_delay_us / ets_get_cpu_frequency */
    .word 0, 0, 0                 /* wdt_info */
    .word 0x3FFFC718              /* flashchip -> struct below */
    .word 0x1640EF, 0x400000, 0x10000, 0x1000, 0x100, 0xFFFF
    .org 0x34
    .word 0x3FFFC734              /* 0x3FFFC730: what phy_get_romfuncs() returns */
    /*
     * 0x3FFFC734: the PHY function table libphy calls through (phy.c). Slot order as pvvx's
     * phy_func_tab (slot 39, byte 156 = rom_i2c_writeReg_Mask); 0 where the chip's table has a
     * null entry. 71 words, up to 0x3FFFC850.
     */
    .word rom_abs_temp                      /* +  0 */
    .word rom_chip_v5_disable_cca           /* +  4 */
    .word rom_chip_v5_enable_cca            /* +  8 */
    .word rom_chip_v5_sense_backoff         /* + 12 */
    .word rom_dc_iq_est                     /* + 16 */
    .word 0                                 /* + 20 */
    .word rom_en_pwdet                      /* + 24 */
    .word rom_get_bb_atten                  /* + 28 */
    .word rom_get_corr_power                /* + 32 */
    .word rom_get_fm_sar_dout               /* + 36 */
    .word rom_get_noisefloor                /* + 40 */
    .word rom_get_power_db                  /* + 44 */
    .word rom_iq_est_disable                /* + 48 */
    .word rom_iq_est_enable                 /* + 52 */
    .word rom_linear_to_db                  /* + 56 */
    .word rom_set_txclk_en                  /* + 60 */
    .word rom_set_rxclk_en                  /* + 64 */
    .word rom_mhz2ieee                      /* + 68 */
    .word rom_rxiq_get_mis                  /* + 72 */
    .word rom_sar_init                      /* + 76 */
    .word rom_set_ana_inf_tx_scale          /* + 80 */
    .word rom_set_loopback_gain             /* + 84 */
    .word rom_set_noise_floor               /* + 88 */
    .word 0                                 /* + 92 */
    .word 0                                 /* + 96 */
    .word rom_start_noisefloor              /* +100 */
    .word rom_start_tx_tone                 /* +104 */
    .word rom_stop_tx_tone                  /* +108 */
    .word rom_txtone_linear_pwr             /* +112 */
    .word rom_tx_mac_disable                /* +116 */
    .word rom_tx_mac_enable                 /* +120 */
    .word rom_ana_inf_gating_en             /* +124 */
    .word rom_set_channel_freq              /* +128 */
    .word rom_chip_50_set_channel           /* +132 */
    .word rom_chip_v5_rx_init               /* +136 */
    .word rom_chip_v5_tx_init               /* +140 */
    .word rom_i2c_readReg                   /* +144 */
    .word rom_i2c_readReg_Mask              /* +148 */
    .word rom_i2c_writeReg                  /* +152 */
    .word rom_i2c_writeReg_Mask             /* +156 */
    .word rom_pbus_debugmode                /* +160 */
    .word rom_pbus_enter_debugmode          /* +164 */
    .word rom_pbus_exit_debugmode           /* +168 */
    .word rom_pbus_force_test               /* +172 */
    .word rom_pbus_rd                       /* +176 */
    .word rom_pbus_set_rxgain               /* +180 */
    .word rom_pbus_set_txgain               /* +184 */
    .word rom_pbus_workmode                 /* +188 */
    .word rom_pbus_xpd_rx_off               /* +192 */
    .word rom_pbus_xpd_rx_on                /* +196 */
    .word rom_pbus_xpd_tx_off               /* +200 */
    .word rom_pbus_xpd_tx_on                /* +204 */
    .word rom_pbus_xpd_tx_on__low_gain      /* +208 */
    .word rom_phy_reset_req                 /* +212 */
    .word rom_restart_cal                   /* +216 */
    .word rom_rfpll_reset                   /* +220 */
    .word rom_write_rfpll_sdm               /* +224 */
    .word rom_rfpll_set_freq                /* +228 */
    .word rom_cal_tos_v50                   /* +232 */
    .word rom_pbus_dco___SA2                /* +236 */
    .word rom_rfcal_pwrctrl                 /* +240 */
    .word rom_rfcal_rxiq                    /* +244 */
    .word rom_rfcal_rxiq_set_reg            /* +248 */
    .word rom_rfcal_txcap                   /* +252 */
    .word rom_rfcal_txiq                    /* +256 */
    .word rom_rfcal_txiq_cover              /* +260 */
    .word rom_rfcal_txiq_set_reg            /* +264 */
    .word rom_rxiq_cover_mg_mp              /* +268 */
    .word rom_set_txbb_atten                /* +272 */
    .word rom_set_txiq_cal                  /* +276 */
    .word 0                                 /* +280 */

    .section .ets_hi_fixed, "aw"
    /* 0x3FFFD650: interrupt level per INT n. */
    .byte 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3
    .org 0x1F8                    /* 0x3FFFD848: digit strings os_sprintf reads */
    .asciz "0123456789abcdef"
    .org 0x20C
    .asciz "0123456789ABCDEF"
    .org 0x220
    .asciz "<null>"
    .balign 4

    .section .ets_ptr, "aw"
    .word 0x3FFFC000              /* 0x3FFFDAAC: the table the ROM user vector dispatches through */
