"""Forms of the orientation pages, one module per workflow step (as `services` and
`views`). They check types, required fields and choices limited to what the user may see;
the rules of the state machines are the services' job."""
