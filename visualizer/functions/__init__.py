"""The single definition of each activation, loss, optimizer, penalty and initializer."""
