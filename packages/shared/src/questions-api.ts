// Owned by the questions-api work: API schemas (requests/responses) shared by server and web.
export {};
