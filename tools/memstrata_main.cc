// PLACEHOLDER (owner: cli helper).
#include "memstrata/memstrata.h"
int main() { return 0; }
