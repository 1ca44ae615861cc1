/* msb exec: placeholder. */
#include "config.h"

#include "cmd.h"

int cmd_exec(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("exec: not implemented yet"); }
