# msb-agent filesystem channel worker
