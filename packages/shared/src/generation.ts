// Owned by the generation work: API schemas (requests/responses) shared by server and web.
export {};
