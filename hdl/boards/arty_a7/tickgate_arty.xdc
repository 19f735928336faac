# Digilent Arty A7-100T (xc7a100tcsg324-1): the pins tickgate_arty_top uses, from Digilent's Arty-A7-100 master
# constraints, and the timing of what crosses the chip's edge.

# 100 MHz oscillator; the MMCM's 60 MHz core clock is derived from it by Vivado
set_property -dict { PACKAGE_PIN E3  IOSTANDARD LVCMOS33 } [get_ports CLK100MHZ]
create_clock -name sys_clk_pin -period 10.00 -waveform {0 5} [get_ports CLK100MHZ]

# RESET button (ck_rst), low when pressed
set_property -dict { PACKAGE_PIN C2  IOSTANDARD LVCMOS33 } [get_ports ck_rst]

# USB-UART (FTDI FT2232HQ channel B): uart_txd_in is the host's transmit line into the FPGA
set_property -dict { PACKAGE_PIN A9  IOSTANDARD LVCMOS33 } [get_ports uart_txd_in]
set_property -dict { PACKAGE_PIN D10 IOSTANDARD LVCMOS33 } [get_ports uart_rxd_out]

# LEDs LD4..LD7
set_property -dict { PACKAGE_PIN H5  IOSTANDARD LVCMOS33 } [get_ports {led[0]}]
set_property -dict { PACKAGE_PIN J5  IOSTANDARD LVCMOS33 } [get_ports {led[1]}]
set_property -dict { PACKAGE_PIN T9  IOSTANDARD LVCMOS33 } [get_ports {led[2]}]
set_property -dict { PACKAGE_PIN T10 IOSTANDARD LVCMOS33 } [get_ports {led[3]}]

# Asynchronous by nature: the UART line is sampled through a two-flop synchroniser (uart_rx), the button
# through reset_sync; the UART output and the LEDs have no timing relation to anything the host clocks.
set_false_path -from [get_ports {uart_txd_in ck_rst}]
set_false_path -to [get_ports {uart_rxd_out led[*]}]

set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
