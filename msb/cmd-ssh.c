/* msb ssh: placeholder. */
#include "config.h"

#include "cmd.h"

int cmd_ssh(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("ssh: not implemented yet"); }
