/* msb-sftp-server: placeholder until implemented. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "msb-sftp-server: not implemented yet\n");
	return 1;
}
