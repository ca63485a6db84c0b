import sharp from 'sharp';
export const handler = async () => {
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const { width } = await sharp(await sharp(png).resize(20).toBuffer()).metadata();
  return { ok: width === 20 };
};
