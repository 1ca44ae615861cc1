/* msb create|start|stop|rm|ls|inspect: placeholder. */
#include "config.h"

#include "cmd.h"

int cmd_create(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("create: not implemented yet"); }
int cmd_start(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("start: not implemented yet"); }
int cmd_stop(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("stop: not implemented yet"); }
int cmd_rm(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("rm: not implemented yet"); }
int cmd_ls(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("ls: not implemented yet"); }
int cmd_inspect(int argc, char **argv) { (void)argc; (void)argv; return msb_cmd_fail("inspect: not implemented yet"); }
