/* msb-agent: placeholder until implemented. */
#include "config.h"

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "msb-agent: not implemented yet\n");
	return 1;
}
