/* Linux from fw_cfg (-kernel, -initrd, -append) through the 32-bit boot protocol. */
#ifndef LINUXBOOT_H
#define LINUXBOOT_H

#include <stdint.h>	/* addresses */

/* Loads kernel, initrd (below initrd_top) and command line, fills boot_params with the e820 map and
 * jumps to the kernel. Returns only when there is nothing to boot or it does not fit; then it says why. */
void linux_boot(uint32_t initrd_top);

#endif
