/* msb-proxy: placeholder until implemented. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "msb-proxy: not implemented yet\n");
	return 1;
}
