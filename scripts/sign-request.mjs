// The EIP-712 type of a transaction authorization (DESIGN §5), in ethers' form (without the
// EIP712Domain entry, which ethers derives from the domain itself).
export const SIGN_REQUEST_TYPES = {
  SignRequest: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "chainId", type: "uint256" },
    { name: "maxFeeWei", type: "uint256" },
    { name: "broadcast", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
